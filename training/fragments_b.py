"""Hand-written message fragments, part B: zabıta, veteriner, imar, sosyal (see fragments_a.py)."""

F = {}

F["gurultu"] = {
    "sikayet": [
        "{yer} [düğün salonundan|kafeden|eğlence mekanından] [gece 2ye kadar|sabaha kadar] müzik sesi geliyor",
        "üst kattaki komşu [her gece|gece yarısı] [matkap kullanıyor|tadilat yapıyor]",
        "[inşaat|şantiye] [sabah 6da|pazar günü bile] [çalışmaya başlıyor|beton döküyor]",
        "[modifiyeli araçlar|motosikletler] [egzoz patlatıyor|gece yarış yapıyor], [uyuyamıyoruz|bebek uyanıyor]",
        "[seyyar hoparlörlü|anonslu] araçlar [sabahın köründe|her gün] bağırıyor",
        "[jeneratör|klima motoru|havalandırma] [gece boyunca|sürekli] uğulduyor",
        "[köpek sahibi|komşunun köpeği] [bütün gece|saatlerce] havlatıyor, [uyku yok|dinlenemiyoruz]",
    ],
    "talep": [
        "{yer} [gürültü|ses] ölçümü yapılmasını istiyoruz",
        "[mekanın|düğün salonunun] [denetlenmesini|ses yalıtımının kontrol edilmesini] rica ediyoruz",
        "[gece yapılan inşaatın|tadilatın] [durdurulmasını|saatlere uymasını] talep ediyoruz",
    ],
    "oneri": [
        "düğün salonlarına [saat 24 sınırı|ses sınırı] getirilse herkes rahat eder",
        "[zabıta|ekip] gece devriyesi yapsa [gürültü|egzoz patlatma] azalır",
    ],
    "bilgi": [
        "inşaatlar [saat kaçta|hangi saatler arasında] çalışabilir",
        "gece gürültü için [kimi aramalıyım|zabıta mı polis mi]",
    ],
    "tesekkur": [
        "gürültü şikayetimiz üzerine [zabıta hemen geldi|mekan uyarıldı], teşekkür ederiz",
    ],
}

F["seyyar_satici"] = {
    "sikayet": [
        "{yer} [seyyar satıcılar|tezgahçılar] [kaldırımı kapatıyor|yolu daraltıyor]",
        "[okul önünde|durakta] [seyyar|izinsiz] satıcı [açıkta yiyecek satıyor|bozuk mal satıyor]",
        "[kamyonetle|el arabasıyla] [karpuz|meyve sebze] satan [megafonla bağırıyor|sabah 7de anons yapıyor]",
        "[köprü altında|cami avlusunda] [kaçak|ruhsatsız] satış [yapılıyor|her gün var]",
    ],
    "talep": [
        "ş:{yer} seyyar satıcıların [kaldırılmasını|denetlenmesini] istiyoruz",
        "ş:okul önündeki [seyyarlar|satıcılar] için zabıta [gönderilsin|gönderilmesini rica ederim]",
    ],
    "oneri": [
        "seyyar satıcılara [belli bir alan|haftalık pazar yeri] ayrılsa kaldırımlar boşalır",
    ],
    "bilgi": [
        "[seyyar satış|tezgah açmak] için izin [alınabiliyor mu|nereden alınır]",
        "[sokakta|pazarda] satış yapmak için [ne gerekiyor|hangi belgeler lazım]",
    ],
    "tesekkur": [
        "kaldırımı kapatan seyyarlar [kaldırıldı|uyarıldı], zabıtaya teşekkürler",
    ],
}

F["isgal"] = {
    "sikayet": [
        "{yer} [market|manav|kafe] [kaldırıma masa koymuş|ürünlerini kaldırıma dizmiş], [yürüyemiyoruz|yola iniyoruz]",
        "[araçlar|kamyonlar] [kaldırıma park ediyor|yaya yolunu işgal ediyor]",
        "[oto tamirci|lastikçi] [yolun yarısını|kaldırımı] [atölye gibi kullanıyor|kapatmış]",
        "[inşaat malzemesi|kum ve tuğla] [yolu kapatmış|kaldırıma yığılmış] haftalardır",
        "[dükkan tabelası|branda] [kaldırıma taşmış|başımıza çarpıyor]",
        "komşu [yola saksı|kaldırıma zincir] koyup [park yeri kapatıyor|kendine yer ayırıyor]",
    ],
    "talep": [
        "ş:{yer} [kaldırım işgalinin|yol işgalinin] [kaldırılmasını|önlenmesini] istiyoruz",
        "ş:[kaldırıma konan dubaların|zincirlerin] [kaldırılsın|toplanmasını rica ederiz]",
    ],
    "oneri": [
        "kaldırıma [bariyer|delinatör] konsa araçlar çıkamaz",
    ],
    "bilgi": [
        "[kaldırıma masa koymak|işyeri önünü kullanmak] için [izin|işgaliye harcı] gerekiyor mu",
    ],
    "tesekkur": [
        "kaldırım işgali [kaldırıldı|temizlendi], artık rahat yürüyoruz, teşekkürler",
    ],
}

F["isyeri_denetimi"] = {
    "sikayet": [
        "{yer} [fırın|market|kasap] [fiyat etiketi koymuyor|etiket fiyatından fazla alıyor]",
        "[lokantada|dönerci] [yemekten kıl çıktı|hijyen sıfır|mutfağı çok pis]",
        "[market|bakkal] [son kullanma tarihi geçmiş|bozuk] ürün satıyor",
        "[ekmek|pide] [gramajı eksik|fiyatı fahiş], [tartınca 200 gram çıktı|denetlenmiyor]",
        "[kafe|nargile kafe] [çocuklara sigara satıyor|içeride sigara içiliyor]",
        "[kasap|tavukçu] [dükkan önünde|açıkta] et [kesiyor|satıyor], [sinek konuyor|koku var]",
    ],
    "talep": [
        "{yer} [fırının|lokantanın|marketin] [denetlenmesini|kontrol edilmesini] istiyoruz",
        "[fiyat denetimi|hijyen denetimi] [yapılsın|yapılmasını talep ediyorum]",
    ],
    "oneri": [
        "denetlenen işletmelere [hijyen belgesi|kapıya puan] asılsa vatandaş bilinçli seçer",
    ],
    "bilgi": [
        "[fahiş fiyat|hijyen] şikayetini [nereye yapabilirim|kime iletmeliyim]",
        "[ekmek fiyatı|ekmek gramajı] [ne kadar olmalı|belediye mi belirliyor]",
    ],
    "tesekkur": [
        "[fırın|lokanta] denetimi için zabıtaya teşekkürler, [artık fiş veriyorlar|durum düzeldi]",
    ],
}

F["dilenci"] = {
    "sikayet": [
        "{yer} [ışıklarda|markette|cami çıkışında] [çocuklar dileniyor|dilenci var], [arabaya yapışıyorlar|rahatsız ediyorlar]",
        "[aynı kişiler|organize dilenciler] [her gün|kapı kapı] [para istiyor|geziyor]",
        "[kucağında bebekle|engelli gibi yapıp] dilenen [kadın|adam] her gün [durakta|orada]",
    ],
    "talep": [
        "ş:{yer} dilencilerle ilgilenilmesini istiyoruz",
        "ş:[dilendirilen çocuklar|ışıklarda çalıştırılan çocuklar] için [zabıta|ekip] gönderilsin",
    ],
    "oneri": [
        "dilencilere para yerine [sosyal yardım birimine|askıda ekmeğe] yönlendirme yapılsa daha doğru olur",
    ],
    "bilgi": [
        "dilenci gördüğümüzde [kime haber vermeliyiz|hangi numarayı aramalıyız]",
    ],
    "tesekkur": [
        "kavşaktaki dilenciler [toplandı|artık yok], zabıta ekibine teşekkürler",
    ],
}

F["sokak_hayvani"] = {
    "sikayet": [
        "{yer} [sokak köpekleri|başıboş köpekler] [sürü halinde|gece] dolaşıyor, [çocuklar okula korkarak gidiyor|saldırıyorlar]",
        "[köpek|sokak köpeği] [oğlumu|komşumuzu] [ısırdı|kovaladı], [hastanelik olduk|kuduz aşısı yaptırdık]",
        "[yaralı|topallayan] bir köpek [günlerdir|iki gündür] [sokakta yatıyor|aç bekliyor]",
        "[köpekler|kediler] [çöpleri dağıtıyor|poşetleri yırtıyor]",
        "[sahipsiz kedi|yavru kediler] [araba motoruna girdi|bodrumda mahsur kaldı]",
        "[köpekler|sürü] [gece boyunca|sabaha kadar] [uluyor|havlıyor]",
        "[kısırlaştırılmamış|küpesiz] köpekler [çoğaldı|her gün artıyor]",
    ],
    "talep": [
        "{yer} [köpeklerin toplanmasını|köpeklerin barınağa götürülmesini] istiyoruz",
        "[yaralı|hasta] [köpeğin|kedinin] [tedavi edilmesi|alınması] için ekip [gönderin|gönderilsin]",
        "[kısırlaştırma|aşılama] [yapılmasını|yapılsın] talep ediyoruz",
        "[mama kabı|su kabı] [konulsun|konulabilir mi]",
    ],
    "oneri": [
        "[sokak hayvanları için|mahallelere] beslenme noktaları yapılsa hayvanlar çöpe dadanmaz",
        "[sahiplendirme günleri|mama bağışı kampanyası] düzenlense barınak rahatlar",
    ],
    "bilgi": [
        "[barınaktan|belediyeden] köpek [sahiplenmek için|sahiplenmek istiyorum] ne yapmalıyım",
        "[kedimi|köpeğimi] [kısırlaştırmak|aşılatmak] ücretli mi",
        "[yaralı hayvan|sokak hayvanı] için [hangi numarayı aramalıyım|kime haber vermeliyim]",
    ],
    "tesekkur": [
        "yaralı köpeği [hemen alıp tedavi ettiniz|kurtardınız], veteriner ekibine [teşekkürler|minnettarız]",
        "kedimizi ücretsiz kısırlaştırdınız, [çok teşekkür ederiz|emeğinize sağlık]",
    ],
}

F["hayvan_olusu"] = {
    "sikayet": [
        "{yer} [yolda|kaldırımda] [ölü köpek|ölü kedi] [var|yatıyor], [kimse almadı|koku başladı]",
        "[ölü kuş|ölü güvercin] [konteynerin yanında|çatıda] [günlerdir|iki gündür] duruyor",
        "araba çarpan [köpek|kedi] [hala|sabahtan beri] yolda, [üstünden araçlar geçiyor|çocuklar görüyor]",
        "[tarlada|dere kenarında] [ölü koyun|hayvan leşi] var, [kokusu|sinekler] dayanılmaz",
    ],
    "talep": [
        "ş:{yer} [ölü hayvanın|leşin] [kaldırılmasını|alınmasını] istiyoruz",
        "[bahçemizde|evimizin önünde] ölen kedinin alınması için ekip [gönderilsin|gönderebilir misiniz]",
    ],
    "oneri": [
        "ölü hayvan bildirimi için [fotoğraflı|konumlu] bir ihbar sistemi olsa daha hızlı alınır",
    ],
    "bilgi": [
        "ölü hayvan için [kimi aramalıyım|nereye bildirmeliyim]",
    ],
    "tesekkur": [
        "ölü köpeği [yarım saatte|hemen] aldınız, teşekkür ederiz",
    ],
}

F["kacak_yapi"] = {
    "sikayet": [
        "{yer} komşumuz [izinsiz kat çıkıyor|kaçak kat yapıyor], [gece çalışıyorlar|kimse durdurmuyor]",
        "[hazine arazisine|yeşil alana] [kaçak|ruhsatsız] [baraka|ev] [yapılmış|yapılıyor]",
        "[balkonu|terası] [kapatıp oda yapmışlar|kaçak genişletmişler]",
        "[tarlaya|bağ evine] [ruhsatsız|kaçak] yapı [dikiliyor|bitirildi]",
        "[bahçe duvarı|müştemilat] [yola taşıyor|imar hattını geçmiş]",
    ],
    "talep": [
        "{yer} kaçak yapının [yıkılmasını|durdurulmasını] istiyoruz",
        "[komşunun inşaatının|bu yapının] ruhsatının kontrol edilmesini talep ediyorum",
    ],
    "oneri": [
        "kaçak yapılar [uydu görüntüsüyle|dronla] tespit edilse denetim kolaylaşır",
    ],
    "bilgi": [
        "kaçak yapı ihbarı [nasıl yapılır|nereye yapılır], adım gizli kalır mı",
    ],
    "tesekkur": [
        "kaçak inşaat ihbarımız değerlendirildi, [çalışma durduruldu|teşekkür ederiz]",
    ],
}

F["imar_bilgi"] = {
    "sikayet": [
        "[imar durumu|iskan] başvurum [aylardır|iki aydır] sonuçlanmadı, [her gittiğimde başka evrak istiyorlar|kimse ilgilenmiyor]",
        "[yapı ruhsatı|tadilat izni] dosyam [kayboldu|bekletiliyor], [inşaat durdu|mağdurum]",
        "[e-imar|imar sorgu] ekranında [parselim görünmüyor|bilgiler yanlış]",
    ],
    "talep": [
        "{yer} [parselimin|arsamın] [imar durumu belgesini|imar çapını] almak istiyorum",
        "[iskan|yapı kullanma izni] [başvurusu yapmak|almak] istiyorum",
        "[ifraz|tevhit|parselasyon] işlemi için [başvuru yapmak|randevu almak] istiyorum",
    ],
    "oneri": [
        "imar durumu belgesi [e-devlet üzerinden|internetten] verilse kimse kuyrukta beklemez",
    ],
    "bilgi": [
        "{yer} [ada parselin|arsamın] imar durumu [nedir|kaç kat]",
        "[yapı ruhsatı|iskan] için hangi belgeler [gerekiyor|lazım]",
        "[tarlama|arsama] [kaç kat|ne kadar] yapılaşma izni var",
        "[imar planı|plan tadilatı] [askıya çıktı mı|ne zaman kesinleşecek]",
        "[mimari proje onayı|ruhsat harcı] [ne kadar sürüyor|ne kadar tutar]",
    ],
    "tesekkur": [
        "iskan işlemimiz [çok hızlı|bir haftada] sonuçlandı, imar birimine teşekkürler",
    ],
}

F["metruk_bina"] = {
    "sikayet": [
        "{yer} [metruk|boş|yıkık] bina [madde bağımlılarının|evsizlerin] uğrak yeri oldu",
        "[yıkılmak üzere olan|eğilmiş] [ev|duvar] [yola doğru çöküyor|her an çökecek]",
        "[terk edilmiş|boş] binanın [camları kırık|kapısı açık], [çocuklar içine giriyor|yangın çıktı]",
        "[eski kerpiç ev|ahır] [çatısı çökmüş|duvarı yıkılmış], [tehlike arz ediyor|sokağa taş düşüyor]",
    ],
    "talep": [
        "ş:{yer} metruk binanın [yıkılmasını|kapatılmasını] istiyoruz",
        "ş:[boş binanın|hasarlı evin] [girişlerinin kapatılmasını|çevresinin çitle çevrilmesini] talep ediyoruz",
    ],
    "oneri": [
        "metruk binalar yıkılıp yerine [otopark|park] yapılsa mahalle rahatlar",
    ],
    "bilgi": [
        "[metruk bina|tehlikeli yapı] için [nereye başvurulur|süreç nasıl işliyor]",
    ],
    "tesekkur": [
        "metruk binanın [yıkıldı|kapatıldı], artık içimiz rahat, teşekkürler",
    ],
}

F["sosyal_yardim"] = {
    "sikayet": [
        "sosyal yardım başvurum [reddedildi|sonuçlanmadı], [eşim işsiz|kirada oturuyoruz], [kimse bilgi vermiyor|mağdurum]",
        "[gıda kolisi|yakacak yardımı] [söz verildi ama gelmedi|bu kış hiç dağıtılmadı]",
        "[yardım listesinde|hak sahipliğinde] [torpil var|ihtiyacı olmayanlar alıyor]",
    ],
    "talep": [
        "{yer} [gıda|erzak|kömür] yardımı [istiyorum|talep ediyorum], [eşim vefat etti|işsiziz]",
        "[üç çocuğum var|yalnız yaşıyorum], [kira yardımı|maddi destek] almak istiyorum",
        "[okul kıyafeti|kırtasiye|kışlık mont] yardımı [rica ediyorum|istiyoruz]",
        "[sıcak yemek|aşevinden yemek] [almak|gelmesini] istiyoruz",
    ],
    "oneri": [
        "[askıda ekmek|askıda fatura] uygulaması yaygınlaşsa ihtiyaç sahibi daha kolay ulaşır",
        "yardımlar [kartla|market kartı ile] verilse insanlar sıraya girip mahcup olmaz",
    ],
    "bilgi": [
        "sosyal yardım için [hangi belgeler gerekiyor|nereye başvurmalıyım]",
        "[yakacak yardımı|erzak yardımı] başvurusu [ne zaman başlıyor|nasıl yapılıyor]",
        "başvurumun [sonucunu|durumunu] nasıl öğrenebilirim",
    ],
    "tesekkur": [
        "[gıda kolisi|yakacak yardımı] için çok teşekkür ederiz, [Allah razı olsun|çok işimize yaradı]",
    ],
}

F["engelli_yasli_destek"] = {
    "sikayet": [
        "[evde bakım|yaşlı bakım] hizmeti [aksıyor|iki haftadır gelmedi], [annem yatalak|yalnız kaldı]",
        "[engelli aracı|engelli servisi] [gelmedi|randevuya gelmedi], [fizik tedaviyi kaçırdık|bekledik]",
        "[tekerlekli sandalye|akülü sandalye] başvurumuz [aylardır|uzun zamandır] [bekliyor|sonuçlanmadı]",
    ],
    "talep": [
        "{yer} [yatalak annem|yaşlı babam] için [evde bakım|temizlik hizmeti] istiyoruz",
        "[tekerlekli sandalye|hasta yatağı|hasta bezi] [desteği|yardımı] almak istiyorum",
        "[engelli oğlum|otizmli çocuğum] için [servis|rehabilitasyon desteği] talep ediyorum",
        "[yaşlı komşumuzun|tek başına yaşayan amcamızın] [ziyaret edilmesini|ihtiyaçlarının karşılanmasını] rica ediyoruz",
        "[berber|kuaför] hizmetinin evde verilmesi [mümkün mü|için başvuru yapmak istiyorum]",
    ],
    "oneri": [
        "yaşlılar için [gündüz bakım evi|yaşlı lokali] açılsa yalnız kalmazlar",
        "engelliler için [ücretsiz taksi|çağrı servisi] olsa hastane randevularına kolay gideriz",
    ],
    "bilgi": [
        "[evde bakım|engelli servisi] için [hangi belgeler gerekiyor|başvuru nereye yapılıyor]",
        "[engelli kartı|engelli kimlik] ile [hangi hizmetlerden|nelerden] yararlanabilirim",
    ],
    "tesekkur": [
        "annemi ziyaret eden [sosyal hizmet ekibine|hemşire hanıma] [çok teşekkürler|minnettarız]",
        "[tekerlekli sandalye|hasta yatağı] için teşekkür ederiz, [hayatımız kolaylaştı|Allah razı olsun]",
    ],
}
