"""Hand-written message fragments, part D: second voice for every category — everyday, regional and indirect
wording (synonyms of the taxonomy's keywords, the way people talk on the phone or write on social media)."""

F = {
    "cop_toplama": {
        "sikayet": ["{yer} [çöp bidonları|çöp kasaları] [leş gibi|ağzına kadar dolu], araç [uğramıyor|görünmüyor]",
                    "[poşetlerimiz|atıklarımız] [kapının önünde çürüyor|kapıda bekliyor], alan yok",
                    "[temizlik aracı|çöpçü kamyonu] [bizim sokağı atlıyor|bizi unuttu galiba]"],
        "talep": ["[yayla evlerinden|bağ evlerinden] de [atıkların toplanması|çöp alınması] için araç gelsin"],
        "bilgi": ["çöp [kamyonu|aracı] [bizim tarafa|köye] [hangi gün uğruyor|kaçta geliyor]"],
        "tesekkur": ["[çöpçü abilerimiz|temizlik personeli] [yağmur çamur demeden|her sabah] geliyor, helal olsun"],
    },
    "konteyner": {
        "sikayet": ["{yer} çöp [bidonunun|kovasının] [kapağı kırık|dibi delik], [su sızıyor|kedi giriyor]",
                    "[çöp kutusunu|bidonu] [kaldırıp götürdüler|yerinden aldılar], [yenisini koymadılar|şimdi çöp nereye atılacak]"],
        "talep": ["[sitemizin girişine|apartmanın yanına] büyük [çöp bidonu|çöp kasası] [koyar mısınız|konulsun]"],
        "oneri": ["[bidonlar|çöp kasaları] [renk renk|türüne göre] ayrılsa geri dönüşüm kolaylaşır"],
    },
    "sokak_temizligi": {
        "sikayet": ["{yer} [yerler|kaldırımlar] [kağıt|naylon|ayçiçeği kabuğu] dolu, [süpürge yüzü görmedi|kimse süpürmüyor]",
                    "[cadde|çarşı içi] [pislikten geçilmiyor|rezil halde], [turistler ne der|ayıp oluyor]"],
        "talep": ["[cenaze evi önünün|düğün sonrası sokağın] [süpürülmesi|temizlenmesi] için ekip gönderebilir misiniz"],
        "oneri": ["[sokak süpürme|yol yıkama] [gece saatlerinde|trafik yokken] yapılsa daha verimli olur"],
    },
    "moloz_atik": {
        "sikayet": ["{yer} [birisi|bir kamyon] [kırık fayans|tuğla] [çuvallarını|yığınını] [yolun kenarına|parkın dibine] boşalttı",
                    "[eski yatak|koltuk takımı] [haftadır|günlerdir] [konteynerin dibinde|kaldırımda] duruyor, [kimse almıyor|yağmurda çürüdü]"],
        "talep": ["[taşınıyoruz|ev boşaltıyoruz], [eski mobilyaları|kullanılmayan eşyaları] [aldırmak|toplatmak] istiyoruz"],
        "bilgi": ["[inşaat atığımı|tadilat molozumu] [kendim mi götürmeliyim|belediye alıyor mu]"],
    },
    "ilaclama": {
        "sikayet": ["{yer} [durgun sudan|göletten] [sivrisinek|tatarcık] [kaynıyor|ürüyor], [ilaçlama yapılmıyor|kimse bakmıyor]"],
        "talep": ["[sivrisinekten|sinekten] [duramıyoruz|bunaldık], [ilaçlama aracı gönderin|bir ilaçlama yapar mısınız]",
                  "[bodrumda|kömürlükte] [fare gördük|fare var], [ilaçlama ekibi gelebilir mi|zehir bırakabilir misiniz]"],
        "bilgi": ["ilaçlama bu [yıl|yaz] [hangi ay başlıyor|ne zaman yapılacak]"],
    },
    "yol_bakim": {
        "sikayet": ["{yer} [yol yarıldı|yolda göçük oluştu|yolda büyük bir yarık var], [araçlar içine düşüyor|gece görünmüyor]",
                    "[yolun ortasında|dönemeçte] [kocaman bir çukur|obruk gibi bir delik] var, [kaza olmadan|biri ölmeden] kapatın",
                    "[mıcır|çakıl] [yola saçılmış|serilip bırakılmış], [camımız kırıldı|motorlar kayıyor]"],
        "talep": ["[köye giden|tarlalara giden] yolun [genişletilmesini|düzeltilmesini] [istiyoruz|rica ederiz]"],
        "oneri": ["[yol kazıları|altyapı çalışmaları] [kurumlar arasında|aynı anda] planlansa yol her ay kazılmaz"],
    },
    "kaldirim": {
        "sikayet": ["{yer} [yaya yolu|yürüme yolu] [taşları sökülmüş|delik deşik], [yaşlılar tökezliyor|bebek arabası takılıyor]",
                    "[kaldırıma|yaya yoluna] [direk dikmişler|rampa yapmamışlar], [tekerlekli sandalye|puset] [geçmiyor|sığmıyor]"],
        "talep": ["[evimizin önüne|okul çıkışına] [yaya yolu|kaldırım] [döşenmesini|yapılmasını] istiyoruz"],
    },
    "kar_buz": {
        "sikayet": ["{yer} [yollar buz pisti gibi|her taraf buz], [tuz atılmadı|kum dökülmedi], [yaşlılar düşüyor|araçlar kayıyor]",
                    "[tipi|kar] [yolu kapattı|yolu kesti], [ekmek bile alamıyoruz|köyden çıkamıyoruz]"],
        "talep": ["[merdivenli sokağa|rampaya] [tuz|kum] [bırakır mısınız|dökülsün]"],
    },
    "trafik_duzenleme": {
        "sikayet": ["{yer} [okul önünde|köşede] [çizgiler silindi|tabela kayboldu], [çocuklar karşıya geçemiyor|sürücüler durmuyor]",
                    "[tümsek|kasis] [çok sert yapılmış|işaretsiz], [arabamın karteri çarptı|gece fark edilmiyor]"],
        "talep": ["[sokağa|okul yoluna] [hız tümseği|yavaşlatıcı] [yaptırır mısınız|yapılsın]", 
                  "[çıkmaz sokak|okul bölgesi] [tabelası|levhası] [asılsın|konulsun]"],
    },
    "park_bakim": {
        "sikayet": ["{yer} [bahçede|yeşil alanda] [otlar boy verdi|çimen kurudu|ağaçlar susuz kaldı], [kimse bakmıyor|bakımsız]",
                    "parktaki [oturaklar|banklar] [sökülmüş|kırılmış], [yaşlılar ayakta kalıyor|oturacak yer yok]",
                    "[park|bahçe] [gece ışıksız|karanlık], [gençler toplanıp şişe kırıyor|aileler giremiyor]"],
        "talep": ["[parka|bahçeye] [çöp kovası|oturak|gölgelik] [ilave edilsin|koyar mısınız]"],
        "oneri": ["[parklarda|yeşil alanlarda] [yaşlılar için egzersiz aletleri|satranç masaları] olsa çok güzel olur"],
    },
    "oyun_grubu": {
        "sikayet": ["{yer} [çocuk parkında|oyun alanında] [salıncak kopuk|kaydırak kırık], [çocuk düşüp yaralandı|tehlikeli]",
                    "[tırmanma aleti|tahterevalli] [sallanıyor|çatlamış], [çocuklar binerken korkuyoruz|biri yaralanacak]"],
        "talep": ["[sitenin yanındaki|mahalledeki] [çocuk parkına|oyun alanına] [salıncak|kaydırak] [eklensin|ilave edilsin]"],
    },
    "agac_bakim": {
        "sikayet": ["{yer} [çınarın|kavağın] dalları [kırılıp yola düştü|arabaların üstüne sarkıyor]",
                    "ağaçlar [gelişigüzel|çok kötü] budanmış, [gövdesi kaldı|kurudu]"],
        "talep": ["[bahçemizin önündeki|evin önündeki] [ağacın|dut ağacının] [dallarını|budamasını] [yapar mısınız|kesebilir misiniz]",
                  "[sokağa|kaldırıma] [ağaç|fidan] [diktirebilir miyiz|diker misiniz]"],
        "oneri": ["[meyve ağaçları|dut ağaçları] dikilse hem gölge hem meyve olur"],
    },
    "yeni_park": {
        "talep": ["{yer} [çocuklarımız için|gençlerimiz için] [bir oyun parkı|bir yeşil alan|spor alanı] [yapılmasını|kazandırılmasını] [istiyoruz|rica ediyoruz]",
                  "[mahallemizde|köyümüzde] [piknik alanı|mesire yeri] [yapılsın|yok, yapılmasını istiyoruz]"],
        "oneri": ["[boş duran arazi|eski pazar yeri] [park|yeşil alan] olarak düzenlense [nefes alırız|çok iyi olur]"],
    },
    "gurultu": {
        "sikayet": ["{yer} [havai fişek|maytap] [gece yarısı|her düğünde] patlatılıyor, [çocuklar korkuyor|uyuyamıyoruz]",
                    "[kafe|mekan] [canlı müzik yapıyor|sesi sonuna kadar açıyor], [camlar titriyor|sabahlara kadar]",
                    "[araba|taksi] [korna çalarak|müziği açarak] [gece geçiyor|bekliyor], [rahatsızız|çıldıracağız]"],
        "talep": ["[gece gürültüsü için|egzoz patlatanlar için] [ekip|zabıta] [gönderin|gönderilsin]"],
    },
    "seyyar_satici": {
        "sikayet": ["{yer} [işportacılar|pazarcılar] [kaldırımı sardı|yolu işgal etti], [yürüyecek yer yok|geçemiyoruz]",
                    "[kapı kapı gezen|sokakta bağıran] [satıcılar|hurdacılar] [sabah erkenden|öğle uykusunda] anons yapıyor"],
    },
    "isgal": {
        "sikayet": ["{yer} [kahvehane|çay ocağı] [sandalyeleri|masaları] [kaldırıma taşıdı|yolu kapattı]",
                    "[inşaat firması|müteahhit] [kaldırımı|yolun yarısını] [kapatmış|malzemeyle doldurmuş], [yayalar yoldan yürüyor|tehlikeli]"],
    },
    "isyeri_denetimi": {
        "sikayet": ["{yer} [market|manav] [tartıda hile yapıyor|eksik tartıyor], [kasada farklı fiyat çıkıyor|etiket yok]",
                    "[döner|tavuk] [bayat|kokmuş] çıktı, [midemiz bozuldu|zehirlendik], [denetlenmeli|kontrol edin]",
                    "[kuaför|berber] [hijyene dikkat etmiyor|aynı havluyu kullanıyor]"],
    },
    "dilenci": {
        "sikayet": ["{yer} [çocuklar|kadınlar] [mendil satıp|arabanın camını silip] para istiyor, [her kırmızıda|sürekli]",
                    "[cami önünde|pazarda] [aynı aile|organize bir grup] [dilendiriliyor|para topluyor]"],
    },
    "sokak_hayvani": {
        "sikayet": ["{yer} [başıboş itler|sahipsiz köpekler] [çöplük başında|okul yolunda] [bekliyor|havlayıp kovalıyor]",
                    "[köpek sürüsü|köpekler] [koyunlarımıza|tavuklarımıza] saldırdı, [zarar verdi|telef oldu]"],
        "talep": ["[sahipsiz kedilere|sokak köpeklerine] [mama|barınak] [bırakılması|yapılması] [için destek istiyoruz|rica ediyoruz]",
                  "[yavru kedileri|bulduğum köpeği] [barınağa|veterinere] [götürmek istiyorum|teslim edebilir miyim]"],
        "bilgi": ["[kayıp köpeğimi|kaybolan kedimi] barınakta [arayabilir miyim|olup olmadığını nasıl öğrenirim]"],
    },
    "hayvan_olusu": {
        "sikayet": ["{yer} [yol kenarında|kanalın içinde] [kokuşmuş|ölmüş] bir [köpek|inek] [duruyor|var], [koku her yere yayıldı|kimse kaldırmıyor]"],
    },
    "kacak_yapi": {
        "sikayet": ["{yer} [yan parsele|karşı arsaya] [izinsiz|ruhsatsız] [kat|ek bina] çıkıyorlar, [imar durumu ne|nasıl izin verildi]",
                    "[apartmanın çatısına|bahçeye] [kaçak|izinsiz] [oda|depo] yaptılar"],
    },
    "imar_bilgi": {
        "bilgi": ["[evimizi|binamızı] [yıkıp yeniden yapacağız|yenileyeceğiz], [ruhsat için|proje için] [neler gerekli|süreç nasıl]",
                  "[tapudaki|arsamın] [imar|plan] [durumunu|fonksiyonunu] [internetten|nereden] görebilirim",
                  "[kentsel dönüşüm|yıkım kararı] [için|hakkında] [başvuru|bilgi] nereden alınır"],
        "talep": ["[arsamın|tarlamın] [imar çapını|kot kesitini] [almak|çıkartmak] istiyorum"],
    },
    "metruk_bina": {
        "sikayet": ["{yer} [boş ev|terk edilmiş bina] [esrarcıların|serserilerin] [yatağı oldu|mekanı oldu], [korkuyoruz|geceleri gürültü]",
                    "[harabe|yıkık] [bina|duvar] [çocukların oyun alanının yanında|okul yolunda], [her an çökebilir|taş düşüyor]"],
    },
    "sosyal_yardim": {
        "talep": ["[eşim hasta|işimi kaybettim], [evde yiyecek yok|çocuklara bakamıyorum], [yardım alabilir miyim|destek olur musunuz]",
                  "[faturalarımı|kiramı] [ödeyemiyorum|ödeyemedim], [belediyeden|sizden] [destek|yardım] istiyorum"],
        "bilgi": ["[erzak kolisi|ayni yardım] [kimlere veriliyor|hangi şartlarla veriliyor]"],
    },
    "engelli_yasli_destek": {
        "talep": ["[yaşlı ve yalnız|bakıma muhtaç] [komşumuza|dedemize] [evde bakım|temizlik ve yemek] desteği [verilsin|istiyoruz]",
                  "[felçli babam|yatağa bağımlı annem] için [hasta bezi|havalı yatak] [yardımı|desteği] alabilir miyiz"],
        "bilgi": ["[engelli bireyler için|yaşlılar için] [ücretsiz servis|evde hizmet] var mı, nasıl başvurulur"],
    },
    "kultur_etkinlik": {
        "bilgi": ["[şenlik|festival|kermes] [ne zaman|hangi gün] [yapılacak|başlıyor], [giriş ücretli mi|kimler sahne alacak]",
                  "[sinema gösterimi|söyleşi] [bu akşam var mı|saat kaçta]"],
        "oneri": ["[yaz akşamları|ramazanda] [parkta|meydanda] [konser|film gösterimi] yapılsa mahalle canlanır"],
        "tesekkur": ["[şenlik|kermes|konser] [çok eğlenceliydi|çok güzeldi], [çocuklar bayıldı|emeği geçenlere teşekkürler]"],
    },
    "kurs_kutuphane": {
        "bilgi": ["[halk eğitim gibi|belediyenin] [el sanatları|İngilizce|resim] [kursları|atölyeleri] [başladı mı|kayıt nasıl]",
                  "[okuma salonu|etüt merkezi] [sınav haftasında|cumartesi] [kaça kadar açık|açık mı]"],
        "talep": ["[oğlum için|kızım için] [satranç|robotik] [kursuna|atölyesine] kayıt [yaptırmak istiyorum|olabilir mi]"],
    },
    "nikah": {
        "bilgi": ["[evlenmek için|evlilik başvurusu için] [hangi belgeler|ne gerekiyor], [kaç gün önceden|ne zaman] başvurmalıyız",
                  "[cumartesi|hafta sonu] [nikah kıydırmak|evlenmek] mümkün mü, [salon ücreti|ücreti] ne kadar"],
        "talep": ["[nikah memuru|nikahı] [düğün salonuna|evimize] [gelmesini|kıyılmasını] istiyoruz"],
    },
    "vergi_harc": {
        "sikayet": ["[emlak borcuma|vergime] [faiz|gecikme zammı] [yanlış işlenmiş|haksız eklenmiş]",
                    "[vezne|tahsilat] [öğlen kapalı|erken kapandı], [borcumu ödeyemedim|geri döndük]"],
        "bilgi": ["[ev aldım|tapu devri yaptım], [emlak beyanı|emlak vergisi] için ne yapmalıyım",
                  "[borcumu|vergi borcumu] [taksitle|kartla] [ödeyebilir miyim|nasıl öderim]"],
    },
    "isyeri_ruhsati": {
        "bilgi": ["[dükkan|işyeri] açacağım, [ruhsat|izin] için [nereye gitmeliyim|ne kadar sürer]",
                  "[işyerimi|dükkanımı] [devraldım|taşıyorum], [ruhsatı|izni] [yenilemem gerekir mi|ne olacak]"],
        "sikayet": ["[ruhsat başvurumu|izin dosyamı] [üç aydır|aylardır] [bekletiyorlar|sonuçlandırmıyorlar]"],
    },
    "baskan_gorusme": {
        "talep": ["[sayın başkanımla|başkan beyle] [bir görüşme|bir randevu] [ayarlanmasını|verilmesini] istiyorum",
                  "[başkanımızı|başkan beyi] [köy kahvemize|düğünümüze|açılışımıza] [davet etmek|beklemek] istiyoruz"],
        "tesekkur": ["[sayın başkanım|başkanımız] [mahallemize gösterdiğiniz ilgi için|bizi kırmadığınız için] [teşekkürler|sağ olun]"],
    },
    "genel_basvuru": {
        "sikayet": ["[santralde|telefonda] [kimse açmıyor|saatlerce beklettiler], [dertleşecek muhatap bulamadık|ilgisizlik had safhada]"],
        "bilgi": ["[belediyenin|hizmet binasının] [çalışma saatleri|öğle arası] [nedir|kaçta]",
                  "[daha önce yaptığım|verdiğim] [başvurunun|dilekçenin] [akıbeti|ne durumda olduğunu] öğrenebilir miyim"],
        "tesekkur": ["[belediyemize|tüm çalışanlara] [her şey için|emekleri için] teşekkür ederim, [iyi ki varsınız|Talas'ta yaşamak güzel]"],
    },
    "e_belediye": {
        "sikayet": ["[sitenize|uygulamanıza] [giremiyorum|girilmiyor], [sürekli hata|beyaz ekran] [çıkıyor|kalıyor]",
                    "[telefona|cebime] [doğrulama kodu|şifre] [gelmiyor|düşmüyor], [ödeme yapamıyorum|giriş yapamıyorum]"],
        "bilgi": ["[internetten|uygulamadan] [borç sorgulama|başvuru] nasıl yapılıyor"],
    },
    "kablosuz_internet": {
        "sikayet": ["{yer} [meydandaki|parktaki] [internet|wi-fi] [bağlanıyor ama açılmıyor|hiç çekmiyor]"],
        "talep": ["[köy meydanına|parka] [internet|wi-fi] [çekilmesini|getirilmesini] istiyoruz"],
    },
    "su_sebekesi": {
        "sikayet": ["{yer} [musluklardan|çeşmelerden] [damla|su] [gelmiyor|akmıyor], [haber veren yok|sebep ne]",
                    "[sokakta|kaldırımın altından] [su sızıyor|su kaçağı var], [günlerdir akıyor|buz tuttu]"],
        "bilgi": ["[yarın|hafta sonu] [bizim tarafta|köyde] planlı [su kesintisi|kesinti] var mı"],
    },
    "kanalizasyon": {
        "sikayet": ["{yer} [lağım|pis su] [bodrumu bastı|yola aktı], [dayanılmaz koku|hastalık saçıyor]",
                    "[yağmur suyu ızgarası|ızgara] [dolmuş|tıkanmış], [her yağmurda|sağanakta] [evlere su giriyor|yol göl oluyor]"],
    },
    "sokak_aydinlatma": {
        "sikayet": ["{yer} [direklerdeki ampuller|sokak ışıkları] [yanmıyor|söndü], [zifiri karanlık|el yordamıyla yürüyoruz]",
                    "[parkın yanındaki|okulun yanındaki] lamba [yanmıyor|kırık], [akşamları|gece] [karanlık|korkuyoruz]"],
    },
    "elektrik_kesintisi": {
        "sikayet": ["{yer} [cereyan|elektrik] [kesik|gitti], [haber verilmedi|saatlerdir gelmedi], [kombi çalışmıyor|erzaklar bozuluyor]",
                    "[trafodan|direkten] [ses geliyor|kıvılcım çıkıyor], [korkuyoruz|yangın çıkacak]"],
        "bilgi": ["[yarın|bu hafta] [bizim mahallede|köyde] [elektrik kesintisi|planlı kesinti] var mı"],
    },
    "dogalgaz": {
        "sikayet": ["{yer} [gaz|doğalgaz] [kokusu|kaçağı] var, [çok korkuyoruz|kimse gelmedi]",
                    "[doğalgaz|gaz] [basıncı düşük|gelmiyor], [kombi arıza veriyor|ocak yanmıyor]"],
    },
    "toplu_tasima": {
        "sikayet": ["{yer} [minibüs|otobüs] [bir saatte bir geliyor|hiç gelmedi], [öğrenciler okula geç kalıyor|durakta donduk]",
                    "[şoför|sürücü] [yaşlı annemi|öğrencileri] [almadan gitti|indirdi], [çok ayıp|saygısız]"],
        "bilgi": ["[hastaneye|üniversiteye|şehir merkezine] [hangi otobüs gidiyor|nasıl giderim]"],
    },
    "trafik_sinyalizasyon": {
        "sikayet": ["{yer} [kavşakta|dörtyolda] [ışıklar|sinyaller] [çalışmıyor|söndü], [herkes birbirine giriyor|kaza oldu]",
                    "[yayalar için|okul önündeki] [ışık|yeşil] [çok kısa|hiç yanmıyor], [koşarak geçiyoruz|yaşlılar yolda kalıyor]"],
    },
}
