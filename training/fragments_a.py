"""Hand-written message fragments, part A: temizlik, fen, park (issue 18 training corpus).

Each category has fragments per kind. `[a|b|c]` picks one alternative; `{yer}` is replaced by a place phrase
(or dropped). Fragments are written by hand in the registers citizens use; `training/build_corpus.py` adds
places, openers, closers and the register (SMS, upper case, social media, call-centre note, CİMER petition).
"""

F = {}

F["cop_toplama"] = {
    "sikayet": [
        "çöpler [4|5|üç|bir] gündür alınmıyor, [her yer koku|sokak leş gibi kokuyor|kediler poşetleri dağıttı]",
        "{yer} çöp arabası bu hafta hiç uğramadı",
        "[çöp kamyonu|çöpçüler] geliyor ama [yarısını|sadece bir konteyneri] alıp gidiyor",
        "bayramdan beri çöplerimiz toplanmadı, [poşetler kapının önünde birikti|apartman önü çöplüğe döndü]",
        "[sabahın 5inde|gece yarısı] gelen çöp aracı [camları titretiyor|bütün sokağı uyandırıyor]",
        "çöp toplama [saatleri|günleri] sürekli değişiyor, [poşetleri ne zaman çıkaracağımızı bilemiyoruz|köpekler yırtıyor]",
        "toplama ekibi konteyneri boşaltırken [etrafa saçtıkları çöpleri almadan|yere dökülenleri bırakıp] gidiyor",
        "{yer} evsel atıklar [haftalardır|iki haftadır] düzenli alınmıyor, [sinek|fare] oldu",
        "çöp arabası [bizim sokağa girmiyor|dar sokak diye dönmüyor], [ana caddeye kadar taşıyoruz|yaşlılar taşıyamıyor]",
        "[geri dönüşüm|kağıt karton] kutusunu aylardır kimse boşaltmadı",
        "çöp suyu [yola akıyor|asfaltı kaplamış], araç [toplarken|boşaltırken] sızdırıyor",
    ],
    "talep": [
        "[çöplerin|evsel atıkların] [her gün|haftada en az üç gün] alınmasını istiyoruz",
        "{yer} [geri dönüşüm|atık pil|ambalaj atığı] toplama [noktası|kutusu] istiyoruz",
        "yazın çöplerin [akşam saatlerinde|sabah erken] toplanmasını rica ediyoruz",
        "[yaşlı annem|engelli komşumuz] çöpünü indiremiyor, kapıdan alınması mümkün mü",
        "[bitkisel atık yağ|elektronik atık] için [alım|toplama] günü ayarlayabilir misiniz",
    ],
    "oneri": [
        "çöp toplama saatleri [bir uygulamadan|SMS ile] duyurulsa herkes poşetini ona göre çıkarır",
        "[yer altı|gömülü] konteyner sistemine geçilse koku ve görüntü kirliliği biter",
        "çöp araçları [gece yerine sabah 8den sonra|trafik azken öğlen] gelse daha az rahatsız olunur",
        "mahallelerde [ayrıştırma|sıfır atık] için bilgilendirme yapılsa geri dönüşüm artar",
    ],
    "bilgi": [
        "{yer} çöpler [hangi günler|haftanın hangi günü] alınıyor",
        "çöp toplama saati [kaçta|ne zaman], poşeti akşam mı çıkarmalıyız",
        "[ambalaj atıklarını|cam şişeleri] ayrı mı koymamız gerekiyor, hangi gün toplanıyor",
        "bayram boyunca çöp toplama [devam edecek mi|yapılacak mı]",
        "atık [pil|ilaç] nereye bırakabilirim",
    ],
    "tesekkur": [
        "çöpler [artık her sabah|düzenli olarak] alınıyor, [emeği geçen|temizlik ekibine] teşekkürler",
        "[kar kış demeden|bayramda bile] çöpleri alan arkadaşlara [minnettarız|çok teşekkür ederiz]",
        "çöp toplama ekibi [çok nazik|tertemiz çalışıyor], ellerinize sağlık",
    ],
}

F["konteyner"] = {
    "sikayet": [
        "{yer} konteyner [kırık|kapağı yok|tekerleği kopmuş], [köpekler içini dağıtıyor|çöpler yere saçılıyor]",
        "konteyner [hep taşıyor|yetmiyor], [poşetler yanına yığılıyor|etrafı çöplüğe döndü]",
        "konteyneri [yakmışlar|birisi ateşe vermiş], [erimiş halde duruyor|içinden duman çıkıyor]",
        "konteyner [yıkanmıyor|hiç dezenfekte edilmiyor], [yanından geçilmiyor|koku balkona geliyor]",
        "konteyneri [tam kapımızın önüne|yatak odası penceresinin dibine] koymuşlar",
        "rüzgarda konteyner [yokuştan aşağı kaydı|arabaya çarptı], [freni yok|sabitlenmemiş]",
        "[geri dönüşüm kumbarası|cam kumbarası] [devrilmiş|parçalanmış] duruyor",
    ],
    "talep": [
        "{yer} [yeni|ikinci bir|daha büyük] konteyner konulmasını istiyoruz",
        "sokağımıza [konteyner|çöp kutusu] yok, [konulsun|koyarsanız seviniriz]",
        "ş:[kırık|eskimiş] konteynerin [değiştirilmesini|yenisiyle değişmesini] rica ederim",
        "konteynerin [yerinin değiştirilmesini|köşeye alınmasını] talep ediyoruz",
        "[yeni açılan|yeni yapılan] sitemiz için konteyner tahsis edilmesini istiyoruz",
        "[cam|kağıt|plastik] geri dönüşüm kumbarası konulabilir mi",
    ],
    "oneri": [
        "konteynerlerin [kapağı pedallı|ayakla açılan] olsa daha hijyenik olur",
        "konteynerlerin üstüne [numara|toplama günü] yazılsa arıza bildirmek kolaylaşır",
        "konteyner yerleri [betonla sabitlense|çitle çevrilse] hem düzgün görünür hem kaymaz",
    ],
    "bilgi": [
        "kırık konteyneri [nereye bildirmeliyim|kime söylemem lazım]",
        "konteyner talebi için [ne yapmam gerekiyor|başvuru nasıl yapılıyor]",
        "konteynerler [ne sıklıkla|hangi aralıklarla] yıkanıyor",
    ],
    "tesekkur": [
        "istediğimiz konteyneri [iki gün içinde|hemen] getirdiniz, [teşekkürler|sağ olun]",
        "yeni konteynerler [çok temiz|pırıl pırıl], emeği geçenlere teşekkür ederiz",
    ],
}

F["sokak_temizligi"] = {
    "sikayet": [
        "{yer} sokaklar [süpürülmüyor|hiç temizlenmiyor], [yapraklar|izmaritler|cam kırıkları] her yerde",
        "[pazar yerinden|pazardan] sonra [sokak çöp içinde kalıyor|kasa ve poşetler toplanmıyor]",
        "yol süpürme aracı [hiç gelmiyor|sadece ana caddeden geçiyor]",
        "[kaldırımda|merdivenlerde] [kusmuk|köpek pisliği|kırık şişe] [günlerdir|haftadır] duruyor",
        "[yağmurdan sonra|sel sonrası] sokak [çamur|balçık] içinde kaldı, kimse yıkamadı",
        "cadde üzerindeki çöp kovaları [taşıyor|boşaltılmıyor], [rüzgarla|etrafa] saçılıyor",
        "duvarlara [afiş|ilan] yapıştırılmış, [her yer kağıt|sokak berbat] görünüyor",
    ],
    "talep": [
        "{yer} sokakların [yıkanmasını|süpürülmesini] istiyoruz",
        "[okul önüne|durak yanına] çöp kovası konulmasını rica ederiz",
        "[bayram öncesi|pazartesi pazardan sonra] [cadde|sokak] temizliği yapılsın",
        "[yaprak|sonbahar yaprakları] için süpürme ekibi gönderebilir misiniz",
    ],
    "oneri": [
        "[sigara izmariti|köpek pisliği] için ceza uygulansa sokaklar temiz kalır",
        "caddelere [daha fazla|her 50 metrede bir] çöp kovası konsa insanlar yere atmaz",
        "[okullarda|mahallede] temizlik kampanyası düzenlense çocuklar da bilinçlenir",
    ],
    "bilgi": [
        "sokak süpürme [hangi günler|ne zaman] yapılıyor",
        "[yol yıkama|cadde yıkama] takvimi var mı",
    ],
    "tesekkur": [
        "[caddemiz|sokaklarımız] [tertemiz|pırıl pırıl] oldu, temizlik ekibine teşekkürler",
        "sabah erkenden sokağı [süpüren|yıkayan] arkadaşlar çok çalışkan, ellerine sağlık",
    ],
}

F["moloz_atik"] = {
    "sikayet": [
        "{yer} [boş arsaya|yol kenarına] moloz dökmüşler, [aylardır|haftalardır] duruyor",
        "tadilat yapan komşu [hafriyatı|inşaat atıklarını] [kaldırıma yığdı|sokağa bıraktı]",
        "[eski koltuk|kırık dolap|yatak] [çöp konteynerin yanına|köşeye] atılmış, kimse almıyor",
        "gece kamyonlar gelip [dereye|tarlanın kenarına] hafriyat döküyor",
        "[budama dalları|bahçe atıkları] [iki haftadır|günlerdir] sokakta bekliyor",
    ],
    "talep": [
        "[eski kanepe|buzdolabı|çamaşır makinesi] [attıracağım|atmak istiyorum], [gelip alabilir misiniz|alınmasını rica ederim]",
        "evde tadilat yaptık, [moloz|çuvallar] için [araç gönderilmesini|alım yapılmasını] istiyoruz",
        "{yer} [iri hacimli atık|eşya] toplama günü [olsun|düzenlensin]",
        "[bahçeden kesilen dallar|budama atıkları] [alınsın|toplansın] lütfen",
    ],
    "oneri": [
        "[ayda bir|her mahallede belli bir gün] eski eşya toplama günü yapılsa sokaklara atılmaz",
        "moloz döken araçlar kamerayla tespit edilip cezalandırılsa bu iş biter",
    ],
    "bilgi": [
        "[moloz|tadilat atığı] için [ücret|harç] ödeniyor mu",
        "[eski eşyalarımı|iri atıkları] nereye [bırakabilirim|götürebilirim]",
        "hafriyat [döküm izni|döküm alanı] için nereye başvurulur",
    ],
    "tesekkur": [
        "eski eşyalarımızı [aynı gün|hemen] gelip aldınız, [çok teşekkürler|sağ olun]",
        "sokaktaki molozu [temizlediğiniz için|kaldırdığınız için] teşekkür ederiz",
    ],
}

F["ilaclama"] = {
    "sikayet": [
        "{yer} [sivrisinek|sinek] [çok fazla|istilası var], [geceleri uyuyamıyoruz|çocuklar ısırıktan kıpkırmızı]",
        "bu yıl [hiç ilaçlama yapılmadı|ilaçlama aracı uğramadı], [karasinek|sivrisinek] kaynıyor",
        "[dere kenarından|kanalizasyon kapağından] [fare|hamam böceği] çıkıyor, [kimse ilaçlamıyor|aylardır ilaçlama yok]",
        "[dere kenarında|su birikintisinde] [sivrisinek larvası|sinek] ürüyor",
        "ilaçlama [gece yarısı yapıldı|haber verilmeden yapıldı], [çamaşırlarımız|balkon] ilaç koktu",
    ],
    "talep": [
        "{yer} [ilaçlama yapılmasını|sinek ilaçlaması] istiyoruz",
        "[apartman bodrumunun|bahçemizin] ilaçlanması için ekip [gönderin|gönderilsin]",
        "[fare|haşere] için [zehir|yem istasyonu] [konulsun|konulmasını rica ediyoruz]",
        "[kene|pire] için [yeşil alanın|parkın] ilaçlanmasını talep ediyoruz",
    ],
    "oneri": [
        "ilaçlama [sezon başında|bahar gelmeden] yapılsa sivrisinek hiç çoğalmaz",
        "[ilaçlama günleri|ilaçlama saatleri] önceden duyurulsa arı yetiştiricileri önlem alır",
    ],
    "bilgi": [
        "{yer} ilaçlama [ne zaman|hangi gün] yapılacak",
        "kullanılan ilaç [arılara|evcil hayvanlara|çocuklara] zararlı mı",
        "ev içi haşere ilaçlaması [ücretli mi|belediye yapıyor mu]",
    ],
    "tesekkur": [
        "ilaçlamadan sonra sinekler [azaldı|kalmadı], [teşekkürler|emeğinize sağlık]",
    ],
}

F["yol_bakim"] = {
    "sikayet": [
        "{yer} yolda [kocaman|derin] [çukur|göçük] var, [arabamın lastiği patladı|jantım çatladı]",
        "asfalt [yama yapıldı ama|tamir edildi ama] [yine|tekrar] çöktü",
        "yol [bozuk|delik deşik], [araba geçemiyor|ambulans bile zor giriyor]",
        "[doğalgaz|su] kazısından sonra yol [kapatılmadı|öylece bırakıldı]",
        "[toprak|stabilize] yol [yağmurda çamura|yazın toza] dönüyor",
        "[rögar kapağı|mazgal] yoldan [çökmüş|çıkık], araçlar çarpıyor",
        "[yokuşta|kavşakta] asfalt [kabardı|dalgalandı], [motosiklet devrildi|tehlikeli]",
        "yol çalışması [aylardır bitmedi|yarım kaldı], [şantiye gibi|toz toprak]",
    ],
    "talep": [
        "{yer} [yolumuzun|sokağımızın] asfaltlanmasını istiyoruz",
        "[köy yoluna|mahalle yoluna] [sıcak asfalt|parke] dökülsün",
        "[toprak yola|tarla yoluna] [mıcır|stabilize] serilmesini rica ediyoruz",
        "[yeni açılan sokağımızın|imar yolumuzun] açılması ve düzenlenmesi için talepte bulunuyoruz",
    ],
    "oneri": [
        "asfalt [yaz başında|kazılar bittikten sonra] yapılsa sürekli bozulmaz",
        "[yama yerine|parça parça değil] baştan sona asfalt dökülse daha ekonomik olur",
    ],
    "bilgi": [
        "{yer} asfalt çalışması [ne zaman|hangi ay] başlayacak",
        "[sokağımız|yolumuz] asfalt programına alındı mı",
        "[yol|kazı] çalışması [ne kadar sürecek|ne zaman bitecek]",
    ],
    "tesekkur": [
        "yolumuz [nihayet|sonunda] asfaltlandı, [emeği geçenlere|fen işlerine] teşekkürler",
        "çukuru [bir günde|hemen] kapattınız, [sağ olun|çok teşekkür ederiz]",
    ],
}

F["kaldirim"] = {
    "sikayet": [
        "{yer} kaldırım taşları [yerinden oynamış|kırık], [annem düştü|bebek arabası geçmiyor]",
        "parke taşları [çökmüş|kalkmış], yağmurda [su birikiyor|ayağımız batıyor]",
        "kaldırım [çok yüksek|rampasız], [tekerlekli sandalye|engelli] [inemiyor|geçemiyor]",
        "[bordür taşı|kaldırım kenarı] [kırılmış|yola devrilmiş] duruyor",
        "kaldırım [yapımı|çalışması] yarım bırakıldı, [taşlar yığılı|yol kapalı]",
        "[görme engelli|hissedilebilir] yürüme yolu [sökülmüş|kopmuş]",
    ],
    "talep": [
        "{yer} [kaldırım yapılmasını|kaldırım döşenmesini] istiyoruz",
        "[okul önüne|cami yanına] engelli rampası yapılsın",
        "ş:[çökmüş|bozulmuş] parke taşlarının [yenilenmesini|düzeltilmesini] rica ederim",
        "kaldırımın [genişletilmesini|yeniden yapılmasını] talep ediyoruz",
    ],
    "oneri": [
        "kaldırımlar [yürüyüş yolu gibi|daha geniş] yapılsa yaşlılar rahat yürür",
        "parke yerine [düz beton|kaymaz taş] kullanılsa kışın kayma olmaz",
    ],
    "bilgi": [
        "kaldırım çalışması [ne zaman bitecek|ne zaman başlayacak]",
        "evimin önündeki kaldırımı [kendim yapabilir miyim|yaptırmak için izin gerekir mi]",
    ],
    "tesekkur": [
        "yeni kaldırımlar çok [güzel|düzgün] olmuş, [teşekkürler|emeği geçenlere sağlık]",
        "rampayı yaptığınız için [tekerlekli sandalyedeki babam adına|engelli kardeşim adına] teşekkür ederim",
    ],
}

F["kar_buz"] = {
    "sikayet": [
        "{yer} [kar|tipi] yüzünden yol [kapandı|kapalı], [iki gündür çıkamıyoruz|ambulans giremedi]",
        "[kar küreme aracı|greyder] [hiç uğramadı|sadece ana yolu açtı]",
        "[yokuş|merdiven] buz tuttu, [tuzlama yapılmadı|insanlar düşüyor]",
        "[buzlanmadan|kar yüzünden] [servis|okul servisi] mahalleye giremiyor",
        "kar küreyen araç karı [kapımızın önüne|kaldırıma] yığdı",
        "[köy yolu|mahalle yolu] [karla kapalı|buz tutmuş], [hasta var|hayvanlara yem götüremiyoruz]",
    ],
    "talep": [
        "{yer} [tuz|kum] dökülmesini istiyoruz",
        "[kar yağmadan önce|sabah erkenden] yokuşa tuzlama yapılsın",
        "ş:[hastaneye gitmemiz gerekiyor|diyaliz hastası var], yolun [açılmasını|küreme yapılmasını] rica ederiz",
        "[apartman önüne|durağa] tuz kutusu konulabilir mi",
    ],
    "oneri": [
        "kışın yokuş başlarına tuz kutusu konsa herkes kendi önünü tuzlar",
        "kar küreme [rotası|programı] internetten paylaşılsa yolların ne zaman açılacağını biliriz",
    ],
    "bilgi": [
        "[karla mücadele|kar küreme] için [hangi numarayı|kimi] aramalıyım",
        "ş:{yer} yol [açıldı mı|ne zaman açılacak]",
    ],
    "tesekkur": [
        "[gece yarısı|sabah 5te] gelip karı küreyen ekibe teşekkürler",
        "tipiye rağmen yolumuzu açtınız, [Allah razı olsun|minnettarız]",
    ],
}

F["trafik_duzenleme"] = {
    "sikayet": [
        "{yer} araçlar [çok hızlı|yarış yapar gibi] geçiyor, [geçen hafta çocuğa çarptılar|kaza olacak]",
        "[okul önündeki|parkın yanındaki] yaya geçidinin çizgileri [silinmiş|görünmüyor]",
        "[dur levhası|yön tabelası] [devrilmiş|yok|ters çevrilmiş]",
        "[kasis|hız kesici] [çok yüksek|boyasız], [arabanın altı vuruyor|gece görünmüyor]",
        "sokak [tek yön olmasına rağmen|çıkmaz olmasına rağmen] [ters giren çok|araçlar giriyor]",
        "[sokak isim tabelası|kapı numarası levhası] yok, [kargo|ambulans] adresi bulamıyor",
    ],
    "talep": [
        "{yer} [kasis|hız kesici|hız tümseği] yapılmasını istiyoruz",
        "[okul önüne|cami önüne] yaya geçidi [çizilsin|yapılsın]",
        "sokağımızın [tek yön|araç trafiğine kapalı] yapılmasını talep ediyoruz",
        "[yön levhası|trafik aynası|ayna] [konulsun|konulmasını rica ediyoruz]",
        "[engelli park yeri|otopark çizgisi] [çizilmesini|ayrılmasını] istiyoruz",
    ],
    "oneri": [
        "[okul çevresine|mahalle içine] 30 km hız sınırı konsa kazalar azalır",
        "[kavşağa|dönemeçe] trafik aynası konulsa görüş sağlanır",
        "[sokaklar|bu bölge] tek yön yapılsa trafik rahatlar",
    ],
    "bilgi": [
        "kasis yapılması için [nereye başvurmalıyım|dilekçe gerekiyor mu]",
        "[sokak tabelası|kapı numarası] için kime başvurulur",
    ],
    "tesekkur": [
        "okul önüne [yaptığınız kasis|çizdiğiniz yaya geçidi] için teşekkürler, artık çocuklar güvende",
    ],
}

F["park_bakim"] = {
    "sikayet": [
        "{yer} parkın [çimleri sararmış|çimleri biçilmiyor|otları diz boyu]",
        "parktaki [banklar kırık|çeşme akmıyor|çöp kovaları taşıyor]",
        "park [akşamları karanlık|lambaları yanmıyor], [gençler içki içiyor|ailece oturamıyoruz]",
        "[sulama sistemi|fıskiyeler] [bozuk|gece gündüz açık], su israf ediliyor",
        "parkın [tuvaleti|wc si] [kilitli|çok pis]",
        "[yürüyüş yolu|koşu parkuru] [bozuk|çukur dolu], [düşen oldu|bileğimi burktum]",
        "[spor aletleri|açık hava fitness aletleri] [kırık|paslanmış|vidası çıkmış]",
    ],
    "talep": [
        "{yer} parkın [bakımının yapılmasını|çimlerinin biçilmesini] istiyoruz",
        "parka [bank|çardak|kamelya|içme suyu çeşmesi] konulsun",
        "ş:parktaki [spor aletlerinin|bankların] [tamir edilmesini|yenilenmesini] rica ederiz",
        "[park bekçisi|güvenlik görevlisi] konulması mümkün mü",
    ],
    "oneri": [
        "parklara [köpek gezdirme alanı|gölgelik] yapılsa çok güzel olur",
        "park [sulaması|çim sulama] gece yapılsa su daha az buharlaşır",
        "[parka kamera|parka aydınlatma] konsa akşamları da kullanılır",
    ],
    "bilgi": [
        "[park|parkın] [tuvaleti|kafeteryası] [saat kaçta açılıyor|ne zaman açılacak]",
        "parkta [piknik yapmak|mangal yakmak] serbest mi",
        "parkta [doğum günü|etkinlik] düzenlemek için izin almak gerekiyor mu",
    ],
    "tesekkur": [
        "{yer} park [yenilendi|çok güzel olmuş], [torunlarımla her gün gidiyoruz|teşekkürler]",
        "park bahçeler ekibinin [emeğine sağlık|çalışmaları için teşekkürler], [çiçekler|çimler] harika",
    ],
}

F["oyun_grubu"] = {
    "sikayet": [
        "{yer} parktaki [salıncağın zinciri kopmuş|kaydırak kırık|tahterevalli çatlamış]",
        "oyun parkının [kauçuk zemini|yumuşak zemini] [kalkmış|yırtılmış], [çocuk düştü|tökezliyorlar]",
        "[kaydırağın|salıncağın] [vidaları çıkmış|demiri açıkta], [çocuğumun eli kesildi|tehlike arz ediyor]",
        "oyun alanında [cam kırıkları|şırınga] var, [kimse temizlemiyor|çocuklar bulacak]",
        "oyun grubu [güneşin altında|gölgesiz], [kaydırak yanıyor|demirler çok ısınıyor]",
    ],
    "talep": [
        "{yer} çocuk oyun grubu [yapılmasını|kurulmasını] istiyoruz",
        "ş:[kırık salıncağın|bozuk kaydırağın] [değiştirilmesini|onarılmasını] rica ederim",
        "[engelli çocuklar için|küçük yaş grubu için] oyun ekipmanı konulsun",
    ],
    "oneri": [
        "oyun parklarına [gölgelik|tente] yapılsa yazın da kullanılabilir",
        "oyun alanları [çitle çevrilse|köpeklere kapatılsa] daha güvenli olur",
    ],
    "bilgi": [
        "oyun grupları [ne sıklıkla|hangi aralıkla] kontrol ediliyor",
        "{yer} parka [ne zaman|hangi ay] oyun grubu gelecek",
    ],
    "tesekkur": [
        "yeni [salıncaklar|oyun grubu] için teşekkürler, çocuklar [çok mutlu|bayram ediyor]",
    ],
}

F["agac_bakim"] = {
    "sikayet": [
        "{yer} ağacın dalları [elektrik teline değiyor|camımıza vuruyor|çatıya yaslanmış]",
        "[fırtınada|rüzgarda] ağaç [devrildi|yola yattı|arabanın üstüne düştü]",
        "[kuru ağaç|çürümüş çınar] [her an devrilecek|yıkılmak üzere], [altında çocuklar oynuyor|tehlikeli]",
        "budama [yapılmadı|yanlış yapıldı], [ağaçlar kurudu|dallar sokağı kapattı]",
        "dikilen fidanlar [sulanmadığı için|bakımsızlıktan] [kurudu|öldü]",
    ],
    "talep": [
        "{yer} ağaçların [budanmasını|dallarının kesilmesini] istiyoruz",
        "[sokağımıza|okul bahçesine] [ağaç|fidan] dikilmesini rica ederiz",
        "[kurumuş|hastalıklı] ağacın [kesilmesini|kaldırılmasını] talep ediyorum",
        "[ağaçlandırma için|hatıra ormanı için] fidan verilebilir mi",
    ],
    "oneri": [
        "[cadde kenarına|kaldırımlara] [ıhlamur|çınar] dikilse yazın gölge olur",
        "her doğan çocuk için [bir fidan|hatıra ağacı] dikilse güzel bir gelenek olur",
    ],
    "bilgi": [
        "bahçemdeki ağacı [kesmek için|budatmak için] izin gerekiyor mu",
        "[fidan dağıtımı|ücretsiz fidan] [ne zaman|nerede] yapılıyor",
    ],
    "tesekkur": [
        "[devrilen ağacı|tehlikeli dalları] [hemen|yarım saatte] kaldırdınız, teşekkürler",
        "sokağımıza dikilen [fidanlar|ağaçlar] için çok teşekkür ederiz",
    ],
}

F["yeni_park"] = {
    "sikayet": [
        "{yer} [hiç park yok|tek bir yeşil alan yok], çocuklar sokakta oynuyor",
        "[park alanı|yeşil alan] olarak ayrılan arsa [yıllardır boş|çöplüğe döndü]",
        "[söz verilen|planlanan] park [hala yapılmadı|yapılmıyor]",
    ],
    "talep": [
        "{yer} [boş arsaya|ara sokaktaki alana] park yapılmasını istiyoruz",
        "mahallemize [bir park|yeşil alan|mesire alanı] [yapılsın|kazandırılsın]",
        "[gençler için|mahallemize] [basketbol sahası|halı saha|skate park] yapılmasını talep ediyoruz",
        "[yaşlılar için|kadınlar için] [yürüyüş parkuru|spor alanı] istiyoruz",
    ],
    "oneri": [
        "{yer} [boş alana|dere kenarına] [millet bahçesi|bisiklet yolu] yapılsa çok güzel olur",
        "[dere yatağı|eski taş ocağı] [rekreasyon alanı|mesire yeri] olarak düzenlense harika olur",
        "yeni parklarda [yerli bitkiler|kuraklığa dayanıklı bitkiler] kullanılsa su tasarrufu olur",
    ],
    "bilgi": [
        "{yer} yapılacak park [ne zaman|hangi yıl] bitecek",
        "[mahallemize|bölgemize] park yapılması planlanıyor mu",
    ],
    "tesekkur": [
        "{yer} yeni açılan park [harika|çok güzel] olmuş, [emeği geçenlere|başkanımıza] teşekkürler",
    ],
}
